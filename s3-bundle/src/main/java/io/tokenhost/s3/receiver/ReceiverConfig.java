package io.tokenhost.s3.receiver;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of one s3 receiver and their defaults, declared once; read by {@link ReceiverSettings}. */
@ObjectClassDefinition(name = "Tokenhost S3 receiver",
        description = "Installs the temporary credentials of one s3 service: one configuration per service.")
@interface ReceiverConfig {

    @AttributeDefinition(required = false, description = "The service whose credentials it installs. Default: "
            + "s3.<name> for a configuration named <name> (io.tokenhost.s3.receiver-<name>.cfg), else s3.")
    String service_name() default "";

    @AttributeDefinition(required = false, description = "Absolute path of an AWS shared-credentials file to keep "
            + "a profile in. Default: none (memory only).")
    String credentials$_$file() default "";

    @AttributeDefinition(required = false, description = "The profile (section) name in that file, 1-64 of "
            + "[A-Za-z0-9._-].")
    String profile() default "default";

    @AttributeDefinition(required = false, description = "static: the profile holds the keys (clients read them "
            + "once); credential-process: the profile runs credential_process, which prints the current keys "
            + "from <credentials-file>.<profile>.json, so long-running clients pick up every renewal. "
            + "credential-process needs credentials-file.")
    String profile$_$style() default "static";

    @AttributeDefinition(required = false, description = "The command the credential-process profile runs, an "
            + "absolute path. Default: bin/tokenhost-aws-credentials of this installation.")
    String credential$_$process_command() default "";
}
