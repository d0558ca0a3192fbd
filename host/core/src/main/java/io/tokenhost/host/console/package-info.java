/**
 * The local console: Gogo command lines over a Unix domain socket, for the OS user who owns the
 * installation only ({@code tokenhost client ...}). There is deliberately no TCP listener.
 */
package io.tokenhost.host.console;
