package io.tollgate.billing.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every implementation of the shared-state ports must do, run against the in-process
 * one and the Redis one alike.
 */
abstract class CoordinationContract {

	protected abstract Permits permits();

	protected abstract RateLimits rateLimits();

	protected abstract Counters counters();

	protected abstract Bindings bindings();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private String name(String what) {
		return what + ":" + this.run;
	}

	@Test
	void permitsAreAllOrNoneAndReleasedOnce() {
		PermitScope key = new PermitScope(name("key"), 2);
		PermitScope tenant = new PermitScope(name("tenant"), 1);
		Permit first = permits().tryAcquire(List.of(key, tenant)).block();
		assertThat(first).isNotNull();
		assertThat(permits().tryAcquire(List.of(key, tenant)).block()).as("tenant full").isNull();
		Permit keyOnly = permits().tryAcquire(List.of(key)).block();
		assertThat(keyOnly).as("the refused pair took nothing from key").isNotNull();
		assertThat(permits().tryAcquire(List.of(key)).block()).as("key full").isNull();
		assertThat(permits().heldLocally(key.name())).isEqualTo(2);
		first.release();
		first.release();
		assertThat(permits().heldLocally(key.name())).isEqualTo(1);
		Permit again = permits().tryAcquire(List.of(key, tenant)).block();
		assertThat(again).as("released once, room for exactly one").isNotNull();
		assertThat(permits().tryAcquire(List.of(key)).block()).isNull();
		again.release();
		keyOnly.release();
		assertThat(permits().heldLocally(key.name())).isZero();
	}

	@Test
	void acquireWaitsForRoomWithinItsBound() {
		PermitScope scope = new PermitScope(name("wait"), 1);
		Permit held = permits().tryAcquire(List.of(scope)).block();
		assertThat(permits().acquire(List.of(scope), Duration.ofMillis(150)).block()).as("never freed").isNull();
		Mono.delay(Duration.ofMillis(100)).subscribe((tick) -> held.release());
		Permit next = permits().acquire(List.of(scope), Duration.ofSeconds(5)).block();
		assertThat(next).as("freed while waiting").isNotNull();
		next.release();
	}

	@Test
	void parallelAcquirersNeverExceedTheLimit() {
		PermitScope scope = new PermitScope(name("race"), 3);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		AtomicInteger served = new AtomicInteger();
		Flux.range(0, 40)
			.flatMap((i) -> permits().acquire(List.of(scope), Duration.ofSeconds(20))
				.publishOn(Schedulers.boundedElastic())
				.doOnNext((permit) -> {
					most.accumulateAndGet(inside.incrementAndGet(), Math::max);
					sleep(5);
					inside.decrementAndGet();
					served.incrementAndGet();
					permit.release();
				}), 40)
			.blockLast(Duration.ofSeconds(60));
		assertThat(served).hasValue(40);
		assertThat(most.get()).isBetween(1, 3);
	}

	@Test
	void rateLimitsRefuseWithATimeToRetry() {
		String scope = name("rpm");
		for (int i = 0; i < 3; i++) {
			assertThat(rateLimits().tryConsume(scope, 3, Duration.ofMinutes(1), 1).block().allowed()).isTrue();
		}
		RateDecision refused = rateLimits().tryConsume(scope, 3, Duration.ofMinutes(1), 1).block();
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(21));
		assertThat(rateLimits().tryConsume(scope, 4, Duration.ofMinutes(1), 1).block().allowed())
			.as("a changed limit is a fresh bucket")
			.isTrue();
	}

	@Test
	void usedAmountsCanOverdrawABucket() {
		String scope = name("tpm");
		assertThat(rateLimits().check(scope, 1000, Duration.ofMinutes(1)).block().allowed()).isTrue();
		rateLimits().consumeUsed(scope, 1000, Duration.ofMinutes(1), 5000).block();
		RateDecision after = rateLimits().check(scope, 1000, Duration.ofMinutes(1)).block();
		assertThat(after.allowed()).isFalse();
		assertThat(after.retryAfter()).isGreaterThan(Duration.ofMinutes(3));
	}

	@Test
	void countersAddWithinACeilingAtomically() {
		String counter = name("spend");
		assertThat(counters().get(counter).block()).isZero();
		assertThat(counters().add(counter, 70, Duration.ofMinutes(5)).block()).isEqualTo(70);
		assertThat(counters().addWithin(counter, 40, 100, null).block()).as("would cross 100").isNull();
		assertThat(counters().addWithin(counter, 30, 100, null).block()).isEqualTo(100);
		assertThat(counters().add(counter, -50, null).block()).isEqualTo(50);
		counters().set(counter, 7, null).block();
		assertThat(counters().get(counter).block()).isEqualTo(7);
		String racing = name("race");
		ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
		Flux.range(0, 50)
			.flatMap((i) -> counters().addWithin(racing, 3, 100, Duration.ofMinutes(1)).doOnNext(accepted::add), 50)
			.blockLast(Duration.ofSeconds(30));
		assertThat(accepted).hasSize(33);
		assertThat(counters().get(racing).block()).isEqualTo(99);
	}

	@Test
	void counterIsSetIfAbsentOnlyOnce() {
		String counter = name("rebuilt");
		assertThat(counters().setIfAbsent(counter, 40, null).block()).isTrue();
		assertThat(counters().setIfAbsent(counter, 90, null).block()).as("kept what was counted").isFalse();
		assertThat(counters().add(counter, 2, null).block()).isEqualTo(42);
		String racing = name("rebuilt-race");
		long winners = Flux.range(0, 20)
			.flatMap((i) -> counters().setIfAbsent(racing, i, Duration.ofMinutes(1)), 20)
			.filter(Boolean::booleanValue)
			.count()
			.block(Duration.ofSeconds(30));
		assertThat(winners).isEqualTo(1);
	}

	@Test
	void countersExpire() throws InterruptedException {
		String counter = name("short");
		counters().add(counter, 5, Duration.ofMillis(100)).block();
		Thread.sleep(400);
		assertThat(counters().get(counter).block()).isZero();
	}

	@Test
	void bindingsSlideExpireAndList() throws InterruptedException {
		String key = name("sticky") + ":a";
		bindings().put(key, "account-1", Duration.ofMillis(600)).block();
		bindings().put(name("sticky") + ":b", "account-2", Duration.ofMinutes(1)).block();
		bindings().put(name("other"), "x", Duration.ofMinutes(1)).block();
		for (int i = 0; i < 4; i++) {
			Thread.sleep(250);
			assertThat(bindings().get(key, Duration.ofMillis(600)).block()).as("slid at %d", i).isEqualTo("account-1");
		}
		assertThat(bindings().all(name("sticky")).block()).containsOnlyKeys(key, name("sticky") + ":b");
		Thread.sleep(900);
		assertThat(bindings().get(key, null).block()).isNull();
		bindings().remove(name("sticky") + ":b").block();
		assertThat(bindings().all(name("sticky")).block()).isEmpty();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static List<Permit> takeAll(Permits permits, PermitScope scope) {
		List<Permit> taken = new ArrayList<>();
		Permit permit;
		while ((permit = permits.tryAcquire(List.of(scope)).block()) != null) {
			taken.add(permit);
		}
		return taken;
	}

}
