/**
 * Admin console and admin JSON API.
 */
package io.tollgate.admin;
