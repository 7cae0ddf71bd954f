/**
 * Conversion between the Anthropic Messages API and OpenAI Chat Completions.
 *
 * <p>
 * The API is {@link io.tollgate.routing.convert.RequestConverter} (request out),
 * {@link io.tollgate.routing.convert.ResponseConverter} (non-streaming answer back),
 * {@link io.tollgate.routing.convert.StreamConverter} (streamed answer back, one per
 * request), {@link io.tollgate.routing.convert.ErrorConverter} (upstream errors back) and
 * {@link io.tollgate.routing.convert.TokenEstimator} ({@code count_tokens} without an
 * upstream). Per-account differences between OpenAI-compatible upstreams are
 * configuration, in {@link io.tollgate.routing.convert.OpenAiQuirks}. Everything else in
 * this package is package-private. The item numbers in comments ({@code C112}) refer to
 * the shared conformance checklist.
 */
package io.tollgate.routing.convert;
