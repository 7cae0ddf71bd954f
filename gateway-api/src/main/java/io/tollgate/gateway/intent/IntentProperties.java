package io.tollgate.gateway.intent;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Intent routing, planning and context optimisation.
 *
 * @param routerTimeout longest wait for the router model's whole answer; past it the
 * request goes on as asked
 * @param plannerTimeout longest wait for the planner model's whole answer; past it the
 * executor answers without a plan
 */
@ConfigurationProperties("tollgate.intent")
public record IntentProperties(@DefaultValue("5s") Duration routerTimeout,
		@DefaultValue("30s") Duration plannerTimeout) {

}
