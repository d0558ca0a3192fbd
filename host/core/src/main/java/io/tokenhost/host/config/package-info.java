/** Reading the manager's configuration ({@code conf/io.tokenhost.manager.cfg}) into settings. */
package io.tokenhost.host.config;
