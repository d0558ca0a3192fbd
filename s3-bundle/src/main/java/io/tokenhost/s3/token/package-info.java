/**
 * The temporary AWS credentials the s3 provider distributes, and their versioned byte encoding.
 * Private to the bundle.
 */
package io.tokenhost.s3.token;
