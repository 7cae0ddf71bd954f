/**
 * Routing decisions without I/O: the sticky-session key of a request, the order in which
 * a group's accounts are tried, and how long an upstream asks to be left alone.
 */
package io.tollgate.routing.route;
