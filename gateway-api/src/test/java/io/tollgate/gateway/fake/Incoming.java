package io.tollgate.gateway.fake;

/**
 * What the fake needs to know about one received request to answer it.
 *
 * @param route the endpoint
 * @param credential the API key or bearer token, or {@code null} when none was sent
 * @param body what the body says
 * @param inputTokens input tokens derived from the body size (about four bytes a token,
 * at least one)
 * @param sequence a per-server counter, used in ids
 */
record Incoming(Route route, String credential, RequestBody body, int inputTokens, long sequence) {

	Protocol protocol() {
		return this.route.protocol();
	}

	String requestId() {
		return "req_fake_" + this.sequence;
	}

	Template.Fill fill() {
		String model = (this.body.model() != null) ? this.body.model() : "unknown";
		return Template.Fill.of(model, this.sequence, this.inputTokens);
	}

	/** The same request, as if it had not asked for a stream. */
	Incoming asNonStreaming() {
		return new Incoming(this.route, this.credential,
				new RequestBody(this.body.valid(), this.body.model(), false, this.body.includeUsage()),
				this.inputTokens, this.sequence);
	}

	static int inputTokensFor(int bodyBytes) {
		return Math.max(1, bodyBytes / 4);
	}

}
