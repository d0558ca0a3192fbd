/** A separate JVM that reads from the secure HDFS with nothing but a Hadoop token file. */
package io.tokenhost.sandbox.reader;
