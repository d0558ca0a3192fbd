/** The manager role: a gRPC server pushing every container version to subscribed workers. */
package io.tokenhost.remote.manager;
