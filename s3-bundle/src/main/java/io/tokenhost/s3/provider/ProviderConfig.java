package io.tokenhost.s3.provider;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of one s3 provider and their defaults, declared once (DS names: {@code role$_$arn} is
 * {@code role-arn}). Read through {@link io.tokenhost.api.ConfigValues} by {@link ProviderSettings}.
 */
@ObjectClassDefinition(name = "Tokenhost S3 provider",
        description = "Temporary AWS credentials from STS for one S3 target: one configuration per target.")
@interface ProviderConfig {

    @AttributeDefinition(required = false, description = "The service the tokens are distributed under. Default: "
            + "s3.<name> for a configuration named <name> (io.tokenhost.s3-<name>.cfg), else s3.")
    String service_name() default "";

    @AttributeDefinition(required = false, description = "session-token (STS GetSessionToken) or assume-role "
            + "(STS AssumeRole). Default: assume-role if role-arn is set, else session-token.")
    String token$_$kind() default "";

    @AttributeDefinition(required = false, description = "The manager's long-term access key id, with secret-key. "
            + "Without both: the SDK's default credential chain. Never logged or shown.")
    String access$_$key() default "";

    @AttributeDefinition(required = false, description = "The manager's secret access key, with access-key. "
            + "Never logged or shown.")
    String secret$_$key() default "";

    @AttributeDefinition(required = false, description = "The role to assume (arn:aws:iam::<account>:role/<name>); "
            + "required for assume-role.")
    String role$_$arn() default "";

    @AttributeDefinition(required = false, description = "AssumeRole session name, 2-64 of [A-Za-z0-9_+=,.@-] "
            + "(assume-role only).")
    String role$_$session$_$name() default "tokenhost";

    @AttributeDefinition(required = false, description = "AssumeRole external id (assume-role only).")
    String external$_$id() default "";

    @AttributeDefinition(required = false, description = "AssumeRole session policy, a JSON policy document on one "
            + "line (assume-role only).")
    String policy() default "";

    @AttributeDefinition(required = false, description = "Requested lifetime: 15m to 12h for assume-role, 15m to "
            + "36h for session-token (500ms, 30s, 5m, 1h, 2d or PT1H).")
    String duration() default "1h";

    @AttributeDefinition(required = false, description = "The STS signing region.")
    String region() default "us-east-1";

    @AttributeDefinition(required = false, description = "An STS-compatible http(s) endpoint. Default: the SDK's "
            + "regional STS endpoint.")
    String endpoint() default "";

    @AttributeDefinition(required = false, description = "Connect, socket and whole-call timeout of one STS call "
            + "(one SDK attempt; the manager retries with backoff).")
    String timeout() default "30s";
}
