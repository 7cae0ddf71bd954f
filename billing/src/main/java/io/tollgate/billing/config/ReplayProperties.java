package io.tollgate.billing.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a starting node replays the usage journal an earlier run left.
 *
 * @param startWait longest the start waits for the replay before the node serves while
 * the rest drains in the background
 */
@ConfigurationProperties("tollgate.billing.replay")
public record ReplayProperties(@DefaultValue("10s") Duration startWait) {

}
