#!/usr/bin/env bash
# Seed 000 made with the AWS CLI, call by call as the seed's walkthrough does it: a Cognito user
# pool as a trusted token issuer for an IAM Identity Center OAuth application. The objects are
# those of examples/seed-000-cognito-tti/stack.yaml, so that idplane's plan afterwards can adopt
# them (the bench that runs this script checks that it plans no create, replace or delete).
#
# Order of the calls: the seed's script (pool, domain, client; instance, trusted token issuer,
# application, assignment configuration, grant, five access scopes, caller identity,
# authentication method), then its console steps done with the CLI: the SAML application's
# assignment configuration, the SAML identity provider in the pool, the client switched to it.
# The SAML application itself is made in the console in the seed (the API cannot make one), so
# the caller gives its ARN, as idplane's stack takes it as a variable.
#
# Where the stack differs from the seed's script, the stack wins (same objects on both sides):
# the pool has deletion protection, the application a description, and the authentication
# method's actor policy names `Resource: "*"`.
#
# Environment (the bench sets it): AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION and
# credentials for the account; DOMAIN_PREFIX, SAML_APPLICATION_ARN, SAML_METADATA_URL.
# Prints the ids it made, one `name=value` a line. Any failing call stops it (exit status != 0).
set -euo pipefail

: "${DOMAIN_PREFIX:?set DOMAIN_PREFIX (unique per region)}"
: "${SAML_APPLICATION_ARN:?set SAML_APPLICATION_ARN (the console-made SAML application)}"
: "${SAML_METADATA_URL:?set SAML_METADATA_URL (its IAM Identity Center metadata URL)}"
: "${AWS_REGION:=${AWS_DEFAULT_REGION:-us-east-1}}"
export AWS_PAGER=""

files="$(mktemp -d)"
trap 'rm -rf "$files"' EXIT

# Step 1: the user pool, its domain, its client. (A URL is given to the CLI as a JSON list: AWS
# CLI v1 fetches an argument that starts with http:// and passes what it read instead.)
pool_id=$(aws cognito-idp create-user-pool \
  --pool-name BlogTrustedTokenIssuer \
  --alias-attributes email \
  --schema Name=email,Required=true,Mutable=true,AttributeDataType=String \
  --admin-create-user-config AllowAdminCreateUserOnly=true \
  --deletion-protection ACTIVE \
  --query UserPool.Id --output text)

aws cognito-idp create-user-pool-domain \
  --domain "$DOMAIN_PREFIX" \
  --user-pool-id "$pool_id" >/dev/null

client_id=$(aws cognito-idp create-user-pool-client \
  --user-pool-id "$pool_id" \
  --client-name TTI \
  --explicit-auth-flows ALLOW_REFRESH_TOKEN_AUTH ALLOW_USER_SRP_AUTH \
  --allowed-o-auth-flows-user-pool-client \
  --allowed-o-auth-flows code \
  --allowed-o-auth-scopes openid email profile \
  --callback-urls '["http://localhost:8080"]' \
  --query UserPoolClient.ClientId --output text)

issuer_url="https://cognito-idp.${AWS_REGION}.amazonaws.com/${pool_id}"

# Step 2: Identity Center trusts the pool's tokens; the OAuth application accepts them.
instance_arn=$(aws sso-admin list-instances --query 'Instances[0].InstanceArn' --output text)

issuer_arn=$(aws sso-admin create-trusted-token-issuer \
  --instance-arn "$instance_arn" \
  --name cognito \
  --trusted-token-issuer-type OIDC_JWT \
  --trusted-token-issuer-configuration \
  "OidcJwtConfiguration={IssuerUrl=${issuer_url},ClaimAttributePath=email,IdentityStoreAttributePath=emails.value,JwksRetrievalOption=OPEN_ID_DISCOVERY}" \
  --query TrustedTokenIssuerArn --output text)

app_arn=$(aws sso-admin create-application \
  --instance-arn "$instance_arn" \
  --application-provider-arn arn:aws:sso::aws:applicationProvider/custom \
  --name DemoApplication \
  --description "Exchanges Cognito tokens for Identity Center tokens (Amazon Q Business)." \
  --query ApplicationArn --output text)

aws sso-admin put-application-assignment-configuration \
  --application-arn "$app_arn" \
  --no-assignment-required

cat >"$files/grant.json" <<EOF
{"JwtBearer": {"AuthorizedTokenIssuers": [
  {"TrustedTokenIssuerArn": "${issuer_arn}", "AuthorizedAudiences": ["${client_id}"]}
]}}
EOF
aws sso-admin put-application-grant \
  --application-arn "$app_arn" \
  --grant-type urn:ietf:params:oauth:grant-type:jwt-bearer \
  --grant "file://$files/grant.json"

for scope in qbusiness:messages:access qbusiness:messages:read_write \
  qbusiness:conversations:access qbusiness:conversations:read_write qbusiness:qapps:access; do
  aws sso-admin put-application-access-scope \
    --application-arn "$app_arn" \
    --scope "$scope"
done

account_id=$(aws sts get-caller-identity --query Account --output text)

cat >"$files/authentication-method.json" <<EOF
{"Iam": {"ActorPolicy": {
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "${account_id}"},
    "Action": "sso-oauth:CreateTokenWithIAM",
    "Resource": "*"
  }]
}}}
EOF
aws sso-admin put-application-authentication-method \
  --application-arn "$app_arn" \
  --authentication-method-type IAM \
  --authentication-method "file://$files/authentication-method.json"

# Step 3 (console steps in the seed): anyone may use the SAML application; the pool federates to
# it through a SAML identity provider; the client signs in through that provider only.
aws sso-admin put-application-assignment-configuration \
  --application-arn "$SAML_APPLICATION_ARN" \
  --no-assignment-required

aws cognito-idp create-identity-provider \
  --user-pool-id "$pool_id" \
  --provider-name IAMIdentityCenter \
  --provider-type SAML \
  --provider-details "MetadataURL=${SAML_METADATA_URL}" \
  --attribute-mapping email=Subject >/dev/null

# UpdateUserPoolClient resets every setting it is not given: repeat the client's settings.
aws cognito-idp update-user-pool-client \
  --user-pool-id "$pool_id" \
  --client-id "$client_id" \
  --client-name TTI \
  --explicit-auth-flows ALLOW_REFRESH_TOKEN_AUTH ALLOW_USER_SRP_AUTH \
  --allowed-o-auth-flows-user-pool-client \
  --allowed-o-auth-flows code \
  --allowed-o-auth-scopes openid email profile \
  --callback-urls '["http://localhost:8080"]' \
  --supported-identity-providers IAMIdentityCenter >/dev/null

echo "user_pool_id=${pool_id}"
echo "client_id=${client_id}"
echo "issuer_url=${issuer_url}"
echo "trusted_token_issuer_arn=${issuer_arn}"
echo "application_arn=${app_arn}"
