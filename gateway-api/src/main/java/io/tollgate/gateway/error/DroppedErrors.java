package io.tollgate.gateway.error;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Reactor's handling of errors signalled after a sequence ended. Reactor Netty signals a
 * request body's read or request timeout, or a client's hang-up, once more when it
 * discards the request after the response (to a subscriber that already had it), which
 * Reactor would log as an ERROR with the exception's name. Those are the client's doing
 * and were answered already: they are logged at debug level. Anything else dropped is
 * still an ERROR.
 */
@Component
class DroppedErrors implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(DroppedErrors.class);

	DroppedErrors() {
		Hooks.onErrorDropped(DroppedErrors::dropped);
	}

	static void dropped(Throwable error) {
		if (ClientGone.hungUp(error) || ClientGone.tooSlow(error)) {
			logger.debug("Dropped after the request ended: {}", error.toString());
		}
		else {
			logger.error("Operator called default onErrorDropped", error);
		}
	}

	@Override
	public void destroy() {
		Hooks.resetOnErrorDropped();
	}

}
