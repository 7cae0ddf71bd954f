package io.tollgate.gateway.fake;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The most recent requests the fake received, oldest first, up to a limit (zero turns
 * recording off).
 */
final class RequestLog {

	private final int limit;

	private final Deque<RecordedRequest> requests = new ArrayDeque<>();

	RequestLog(int limit) {
		this.limit = limit;
	}

	boolean enabled() {
		return this.limit > 0;
	}

	synchronized void add(RecordedRequest request) {
		if (this.requests.size() == this.limit) {
			this.requests.removeFirst();
		}
		this.requests.addLast(request);
	}

	synchronized List<RecordedRequest> all() {
		return List.copyOf(this.requests);
	}

	synchronized RecordedRequest last() {
		return this.requests.peekLast();
	}

	synchronized void clear() {
		this.requests.clear();
	}

}
