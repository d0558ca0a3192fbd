/** The remote roles as a DS component, and their Gogo commands. */
package io.tokenhost.remote.osgi;
