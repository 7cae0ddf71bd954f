package io.tollgate.gateway.forward;

import io.tollgate.gateway.messages.GatewayRequest;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Speaks one upstream platform's protocol for a Messages request: sends it, answers the
 * client from a successful response, and turns an error response into what the client
 * should see.
 */
public interface Forwarder {

	/**
	 * Sends a request to the request's current account.
	 * @param request the planned request
	 * @param upstreamModel the model to ask the account for
	 * @param clientHeaders the client's headers
	 * @return the response once its head arrived
	 */
	Mono<UpstreamResponse> send(GatewayRequest request, String upstreamModel, HttpHeaders clientHeaders);

	/**
	 * Answers the client with a successful upstream response, and accounts for it.
	 * @param request the request
	 * @param response the upstream response, body unread
	 * @return the client response
	 */
	Mono<ServerResponse> answer(GatewayRequest request, UpstreamResponse response);

	/**
	 * Reads a successful upstream answer to a non-streaming request whole, for a call
	 * Tollgate makes itself (the router or the planner model): the answer as an Anthropic
	 * Message, its usage noted on the request. A body that is not one is a failure of the
	 * account.
	 * @param request the internal call
	 * @param response the upstream response, body unread
	 * @return the Message's bytes
	 */
	Mono<byte[]> capture(GatewayRequest request, UpstreamResponse response);

	/**
	 * What the client should get for an upstream error response.
	 * @param request the request
	 * @param response the error response
	 * @param body its whole body
	 * @return the failure, in the Anthropic protocol
	 */
	UpstreamFailure failure(GatewayRequest request, UpstreamResponse response, byte[] body);

}
