/** Parsing and checking of the s3 bundle's Configuration Admin properties. Private to the bundle. */
package io.tokenhost.s3.config;
