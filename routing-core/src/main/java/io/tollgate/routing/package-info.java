/**
 * Tollgate's protocol brain: plain Java, no Spring, no I/O.
 */
package io.tollgate.routing;
