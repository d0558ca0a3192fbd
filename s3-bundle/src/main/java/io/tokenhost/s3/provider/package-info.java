/**
 * The s3 provider: obtains temporary AWS credentials from STS (GetSessionToken or AssumeRole)
 * with the manager's own identity. Private to the bundle.
 */
package io.tokenhost.s3.provider;
