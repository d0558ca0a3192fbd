/** What became of each file in {@code plugins/}: its bundle and state, or why it is not running. */
package io.tokenhost.host.plugins;
