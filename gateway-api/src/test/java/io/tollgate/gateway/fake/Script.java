package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The queue of scripted behaviours for one credential (or for any credential, see
 * {@link FakeUpstream#script()}). Each method queues a {@link Step} that applies to the
 * next matching request, whatever its path, and returns it for {@link Step#times},
 * {@link Step#always} and the delivery modifiers. When the queue is empty the fake gives
 * its default answer. Errors are written in the envelope of the protocol the request
 * arrived in.
 */
public final class Script {

	private final Deque<Step> steps = new ArrayDeque<>();

	/** Answers with this reply (streamed or not, as the request asks). */
	public Step reply(AnthropicReply reply) {
		return queue(reply::answer);
	}

	/** Answers with this reply (streamed or not, as the request asks). */
	public Step reply(OpenAiReply reply) {
		return queue(reply::answer);
	}

	/**
	 * Answers as a router model does: one call of Tollgate's {@code classify} tool with
	 * this input, in the protocol the request arrived in (an Anthropic {@code tool_use}
	 * block or an OpenAI tool call), with these token counts.
	 * @param input the tool input, JSON
	 * @param inputTokens the prompt tokens to report
	 * @param outputTokens the completion tokens to report
	 */
	public Step classify(String input, int inputTokens, int outputTokens) {
		AnthropicReply anthropic = AnthropicReply.create()
			.toolUse("toolu_router", "classify", input)
			.inputTokens(inputTokens)
			.outputTokens(outputTokens);
		OpenAiReply openai = OpenAiReply.create()
			.toolCall("call_router", "classify", input)
			.promptTokens(inputTokens)
			.completionTokens(outputTokens);
		return queue((request) -> (request.protocol() == Protocol.ANTHROPIC) ? anthropic.answer(request)
				: openai.answer(request));
	}

	/**
	 * Answers with the default reply; useful with the delivery modifiers, e.g.
	 * {@code normal().heldBy(gate)}.
	 */
	public Step normal() {
		return queue(DefaultAnswers::answer);
	}

	/**
	 * Answers with exactly these bytes (content type JSON unless the headers say
	 * otherwise).
	 */
	public Step respond(int status, Map<String, String> headers, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return queue((request) -> Answer.json(status, request, bytes).withHeaders(headers));
	}

	/** Answers with exactly this body, as JSON. */
	public Step respond(int status, String body) {
		return respond(status, Map.of(), body);
	}

	/**
	 * Answers with an error of this status, type and message, in the request protocol's
	 * envelope.
	 */
	public Step error(int status, String type, String message) {
		return queue((request) -> Answer.error(status, request, type, message));
	}

	/**
	 * Answers as an overloaded upstream with {@code retry-after: 1}: Anthropic
	 * {@code 529 overloaded_error}, OpenAI {@code 503 server_error}.
	 */
	public Step overloaded() {
		return queue((request) -> ((request.protocol() == Protocol.ANTHROPIC)
				? Answer.error(529, request, "overloaded_error", "Overloaded")
				: Answer.error(503, request, "server_error", "The server is overloaded, please try again later."))
			.withHeaders(Map.of("retry-after", "1")));
	}

	/** Answers {@code 429} with {@code retry-after} in whole seconds. */
	public Step rateLimited(Duration retryAfter) {
		return queue((request) -> ((request.protocol() == Protocol.ANTHROPIC)
				? Answer.error(429, request, "rate_limit_error", "Number of requests has exceeded your rate limit.")
				: Answer.error(429, request, "requests", "Rate limit reached for requests."))
			.withHeaders(Map.of("retry-after", Long.toString(retryAfter.toSeconds()))));
	}

	/** Answers {@code 401} as for a revoked or wrong key. */
	public Step invalidCredential() {
		return queue((request) -> (request.protocol() == Protocol.ANTHROPIC)
				? Answer.error(401, request, "authentication_error", "invalid x-api-key")
				: Answer.error(401, request, "invalid_request_error", "Incorrect API key provided."));
	}

	/**
	 * Streams these raw SSE frames (see {@link Sse}) with a 200
	 * {@code text/event-stream}, spaced by a delay.
	 */
	public Step streamEvents(List<String> frames, Duration delayBetween) {
		List<byte[]> events = frames.stream().map(Sse::bytes).toList();
		return queue((request) -> Answer.stream(request, events)).eventDelay(delayBetween);
	}

	/** The default answer, after a delay before its first byte. */
	public Step delayFirstByte(Duration delay) {
		return normal().delayFirstByte(delay);
	}

	/**
	 * The default answer, going silent after {@code count} frames (see
	 * {@link Step#stallAfterEvents}).
	 */
	public Step stallAfterEvents(int count) {
		return normal().stallAfterEvents(count);
	}

	/** The default answer, dropping the connection after {@code count} frames. */
	public Step dropConnectionAfterEvents(int count) {
		return normal().dropConnectionAfterEvents(count);
	}

	/**
	 * Answers this status with an HTML page, as a proxy in front of the upstream does
	 * (e.g. nginx's 502 Bad Gateway).
	 */
	public Step htmlError(int status) {
		return respond(status, Map.of("content-type", "text/html"),
				"<html>\r\n<head><title>" + status + " Bad Gateway</title></head>\r\n<body>\r\n<center><h1>" + status
						+ " Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
	}

	/**
	 * Answers this status with an empty body that still says {@code application/json}.
	 */
	public Step emptyError(int status) {
		return respond(status, "");
	}

	/**
	 * Answers 200 {@code application/json} with the first half of the default whole
	 * answer (a plain JSON answer even when the request asked for a stream), as an
	 * upstream cut off mid-body with a complete HTTP exchange would.
	 */
	public Step truncatedAnswer() {
		return queue((request) -> {
			Answer whole = DefaultAnswers.answer(request.asNonStreaming());
			byte[] body = whole.body();
			return Answer.json(200, request, Arrays.copyOf(body, body.length / 2));
		});
	}

	/** Answers 200 with a body that is not JSON, labelled as this content type. */
	public Step nonJsonAnswer(String contentType, String body) {
		return respond(200, Map.of("content-type", contentType), body);
	}

	/** Closes the connection without answering, as a crashed upstream would. */
	public Step disconnect() {
		return dropConnectionAfterEvents(0);
	}

	/** How many steps are still queued. */
	public synchronized int pending() {
		return this.steps.size();
	}

	/** Forgets every queued step. */
	public synchronized void clear() {
		this.steps.clear();
	}

	synchronized Step next() {
		Step head = this.steps.peekFirst();
		if (head != null && head.consume()) {
			this.steps.removeFirst();
		}
		return head;
	}

	private synchronized Step queue(Function<Incoming, Answer> answer) {
		Step step = new Step(answer);
		this.steps.addLast(step);
		return step;
	}

}
