/** Manager high availability: leader election and fencing epochs on ZooKeeper (Apache Curator). */
package io.tokenhost.remote.ha;
