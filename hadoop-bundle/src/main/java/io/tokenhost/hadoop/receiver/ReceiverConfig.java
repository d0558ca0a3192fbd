package io.tokenhost.hadoop.receiver;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of PID {@value #PID} and their defaults, declared once; read by {@link ReceiverSettings}. */
@ObjectClassDefinition(name = "Tokenhost Hadoop receiver",
        description = "Installs the hadoopfs delegation tokens: in this bundle and in a Hadoop token file.")
@interface ReceiverConfig {

    String PID = "io.tokenhost.hadoop.receiver";

    @AttributeDefinition(required = false, description = "A Hadoop token file to keep the tokens in (owner-only, "
            + "replaced atomically), for processes started with HADOOP_TOKEN_FILE_LOCATION. Default: none.")
    String token$_$file() default "";

    @AttributeDefinition(required = false, description = "Also add the tokens to this bundle's current Hadoop user "
            + "(true or false).")
    String install$_$in$_$process() default "true";

    @AttributeDefinition(required = false, description = "The services whose tokens are installed, merged into one "
            + "token file: comma-separated, e.g. hadoopfs,hadoopfs.cluster2,hbase (one per cluster configuration).")
    String services() default "hadoopfs";
}
