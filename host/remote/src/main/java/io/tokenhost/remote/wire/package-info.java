/** The manager-worker protocol: the gRPC method and its frames. */
package io.tokenhost.remote.wire;
