/** The thread context class loader guard around the SDK's calls. Private to the bundle. */
package io.tokenhost.s3.config;
