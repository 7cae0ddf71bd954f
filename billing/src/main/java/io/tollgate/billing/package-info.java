/**
 * Money and limits. Other modules use the types in this package and its
 * non-{@code internal} subpackages.
 */
package io.tollgate.billing;
