package io.tokenhost.itests.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The IAM set-up inside moto: a manager user whose long-term key may only call STS, a role the
 * manager may assume (with the external id {@value #EXTERNAL_ID}) whose policy allows S3, and a bucket. Created before authentication is on.
 */
record AwsAccount(String managerKeyId, String managerSecret, String roleArn, String bucket) {

    static final String ACCOUNT = "123456789012";
    /** The role's trust policy requires this external id. */
    static final String EXTERNAL_ID = "tokenhost-it-external";

    static AwsAccount setUp(MotoServer moto) throws Exception {
        moto.query("iam", "Action=CreateUser&Version=2010-05-08&UserName=manager");
        moto.query("iam", "Action=PutUserPolicy&Version=2010-05-08&UserName=manager&PolicyName=sts-only&PolicyDocument="
                + enc("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                        + "[\"sts:AssumeRole\",\"sts:GetSessionToken\"],\"Resource\":\"*\"}]}"));
        String key = moto.query("iam", "Action=CreateAccessKey&Version=2010-05-08&UserName=manager");
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + ACCOUNT + ":user/manager\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"" + EXTERNAL_ID + "\"}}}]}";
        String role = moto.query("iam", "Action=CreateRole&Version=2010-05-08&RoleName=worker-role&AssumeRolePolicyDocument="
                + enc(trust));
        moto.query("iam", "Action=PutRolePolicy&Version=2010-05-08&RoleName=worker-role&PolicyName=s3&PolicyDocument="
                + enc("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        String bucket = "tokenhost-data";
        moto.createBucket(bucket);
        moto.enableAuth();
        return new AwsAccount(MotoServer.xml(key, "AccessKeyId"), MotoServer.xml(key, "SecretAccessKey"),
                MotoServer.xml(role, "Arn"), bucket);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AwsAccount[" + roleArn + ", " + bucket + "]";
    }
}
