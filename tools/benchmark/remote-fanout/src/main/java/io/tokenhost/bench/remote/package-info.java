/** The remote fan-out benchmark: a manager here, simulated workers in a child JVM. */
package io.tokenhost.bench.remote;
