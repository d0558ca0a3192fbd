/**
 * The s3 receiver: installs the distributed temporary credentials for S3 clients, as an SDK
 * credentials provider inside this bundle, an API-free supplier service for other bundles, and an
 * AWS shared-credentials file for other processes. Private to the bundle.
 */
package io.tokenhost.s3.receiver;
