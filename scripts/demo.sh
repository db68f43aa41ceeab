#!/usr/bin/env bash
# The main job of idplane, end to end, against the local AWS emulator (no AWS account needed):
#   1. build idplane and start the emulator (moto server + idplane's extension)
#   2. validate, plan and apply the seed 000 example (Cognito as a trusted token issuer for an
#      IAM Identity Center application)
#   3. plan again: no changes
#   4. a colleague changes the app client by hand through the AWS API (boto3, as the console would)
#   5. `idplane drift` catches it (exit 2)
#   6. `idplane apply` repairs it; `idplane drift` is clean (exit 0)
#   7. `idplane verify --exchange`: a pool user who exists in the Identity Store exchanges a
#      Cognito ID token for an Identity Center token and an identity-enhanced session (exit 0)
#   8. a colleague switches the pool to the updated issuer by hand: `verify` names the broken
#      link, `tti.issuer_url` (exit 2)
# The emulator is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
stack="examples/seed-000-cognito-tti/stack.yaml"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\ndemo FAILED: %s\n' "$*" >&2; exit 1; }

for tool in cargo python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed (Rust stable and Python 3.9+)"
done

step "building idplane"
# The whole workspace's binaries: the same features as the test build (`scripts/test.sh`), so the
# AWS SDK crates compile once for both (`-p idplane-cli` would build them a second time).
cargo build --quiet --workspace --locked --bins
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
idplane="$target_dir/debug/idplane"
"$idplane" --version

step "starting the local AWS emulator"
export IDPLANE_EMULATOR_STATE_DIR="$(mktemp -d)"
stop_emulator() {
  bash "$root/tests/emulator/emulator.sh" stop >/dev/null 2>&1 || true
  rm -rf "$IDPLANE_EMULATOR_STATE_DIR"
}
trap stop_emulator EXIT
venv="$(bash tests/emulator/setup.sh | tail -n 1)"
endpoint_line="$(bash tests/emulator/emulator.sh start | grep '^IDPLANE_EMULATOR_ENDPOINT=')"
export AWS_ENDPOINT_URL="${endpoint_line#IDPLANE_EMULATOR_ENDPOINT=}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
echo "emulator at $AWS_ENDPOINT_URL"

step "what exists before idplane: the SAML application made in the Identity Center console"
# The API cannot create SAML applications, so the spec references this one by ARN; here a
# stand-in is made through the API of the emulator.
saml_app_arn="$("$venv/bin/python" - <<'PY'
import boto3
sso = boto3.client("sso-admin")
instance = sso.list_instances()["Instances"][0]["InstanceArn"]
app = sso.create_application(
    InstanceArn=instance,
    ApplicationProviderArn="arn:aws:sso::aws:applicationProvider/custom",
    Name="DemoSAMLApplication",
)
print(app["ApplicationArn"])
PY
)"
echo "DemoSAMLApplication: $saml_app_arn"
vars=(--var "saml_application_arn=$saml_app_arn")

# Runs idplane, prints its exit code, and checks it is the expected one.
run() {
  local want="$1"; shift
  printf '$ idplane %s\n' "$*"
  set +e; "$idplane" --no-color "$@"; local got=$?; set -e
  printf '(exit %s)\n' "$got"
  [[ "$got" == "$want" ]] || fail "idplane $* exited $got, expected $want"
}

step "validate the spec (no AWS call)"
run 0 validate "$stack" "${vars[@]}"

step "plan against the empty account"
run 2 plan "$stack" "${vars[@]}" --detailed-exitcode

step "apply"
run 0 apply "$stack" "${vars[@]}" --auto-approve

step "plan again: nothing to do"
run 0 plan "$stack" "${vars[@]}" --detailed-exitcode

step "a colleague adds a callback URL to the app client by hand (AWS API, read-merge-write)"
"$venv/bin/python" - <<'PY'
import boto3
idp = boto3.client("cognito-idp")
pools = idp.list_user_pools(MaxResults=60)["UserPools"]
pool = next(p for p in pools if p["Name"] == "BlogTrustedTokenIssuer")
client_id = idp.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=60)["UserPoolClients"][0]["ClientId"]
c = idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client_id)["UserPoolClient"]
keep = ["ClientName", "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity",
        "TokenValidityUnits", "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows",
        "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs", "DefaultRedirectURI",
        "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient",
        "PreventUserExistenceErrors", "EnableTokenRevocation",
        "EnablePropagateAdditionalUserContextData", "AuthSessionValidity"]
req = {k: c[k] for k in keep if k in c}
req["CallbackURLs"] = list(req.get("CallbackURLs", [])) + ["https://colleague.example.com/callback"]
idp.update_user_pool_client(UserPoolId=pool["Id"], ClientId=client_id, **req)
print(f"client {c['ClientName']} of pool {pool['Name']}: callback URLs now {req['CallbackURLs']}")
PY

step "drift catches it (exit 2)"
run 2 drift "$stack" "${vars[@]}"

step "apply repairs it"
run 0 apply "$stack" "${vars[@]}" --auto-approve

step "drift is clean (exit 0)"
run 0 drift "$stack" "${vars[@]}"

step "the SAML SP metadata of the pool, which AWS does not publish"
run 0 sp-metadata user_pools.blog --spec "$stack" "${vars[@]}"

step "a test user: in the pool and, with the same email, in the Identity Store"
# The test user signs in by the admin flow, which the TTI client must allow: the demo allows it
# in a copy of the spec (seed 000's client allows SRP only, which needs the user's browser).
demo_dir="$(mktemp -d)"
sed 's/auth_flows: \[refresh_token, user_srp\]/auth_flows: [refresh_token, user_srp, admin_user_password]/' \
  "$stack" > "$demo_dir/stack.yaml"
grep -q admin_user_password "$demo_dir/stack.yaml" || fail "the seed's client changed"
run 0 apply "$demo_dir/stack.yaml" "${vars[@]}" --auto-approve
export IDPLANE_DEMO_PASSWORD="Demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')!A1"
"$venv/bin/python" - <<'PY'
import os, boto3
idp = boto3.client("cognito-idp")
pool = next(p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "BlogTrustedTokenIssuer")
idp.admin_create_user(UserPoolId=pool["Id"], Username="alice", MessageAction="SUPPRESS",
                      UserAttributes=[{"Name": "email", "Value": "alice@example.com"}])
idp.admin_set_user_password(UserPoolId=pool["Id"], Username="alice",
                            Password=os.environ["IDPLANE_DEMO_PASSWORD"], Permanent=True)
sso = boto3.client("sso-admin")
store = sso.list_instances()["Instances"][0]["IdentityStoreId"]
boto3.client("identitystore").create_user(
    IdentityStoreId=store, UserName="alice", DisplayName="Alice",
    Name={"GivenName": "Alice", "FamilyName": "Example"},
    Emails=[{"Value": "alice@example.com", "Primary": True}])
print("alice@example.com: pool user with a password, and Identity Store user")
PY
role_arn="arn:aws:iam::123456789012:role/qbusiness-web"

step "verify the chain and exchange alice's token (exit 0; no token is ever printed)"
run 0 verify "$demo_dir/stack.yaml" "${vars[@]}" --exchange --user alice \
  --password-env IDPLANE_DEMO_PASSWORD --role-arn "$role_arn"

step "a colleague switches the pool to the updated issuer in the console"
"$venv/bin/python" - <<'PY'
import boto3
idp = boto3.client("cognito-idp")
pool = next(p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "BlogTrustedTokenIssuer")
desc = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
idp.update_user_pool(UserPoolId=pool["Id"], IssuerConfiguration={"Type": "UPDATED"},
                     DeletionProtection=desc.get("DeletionProtection", "INACTIVE"))
print(f"pool {pool['Id']} now issues https://issuer-cognito-idp.us-east-1.amazonaws.com/{pool['Id']}")
PY

step "verify names the broken link: tti.issuer_url (exit 2)"
run 2 verify "$demo_dir/stack.yaml" "${vars[@]}" --exchange --user alice \
  --password-env IDPLANE_DEMO_PASSWORD
rm -rf "$demo_dir"

printf '\n\033[1mdemo OK\033[0m: plan, apply, no-change plan, drift caught and repaired, token exchange verified, broken link named.\n'
