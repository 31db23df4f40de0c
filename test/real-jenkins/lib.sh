# shellcheck shell=bash
# Shared by the try-* scripts: a Jenkins CLI for any Jenkins, credentials and jobs created through it.
# Environment: JENKINS_URL (required), JENKINS_USER_ID and JENKINS_API_TOKEN when Jenkins has security on
# (the CLI reads them itself, so the token never becomes an argument), GULI_HPI (default: the built .hpi).
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${JENKINS_URL:?set JENKINS_URL, e.g. http://127.0.0.1:8080/}"
JENKINS_URL=${JENKINS_URL%/}/
work=$(mktemp -d "${TMPDIR:-/tmp}/guli-try.XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf '== %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

cli_jar=$work/jenkins-cli.jar
curl -fsS -o "$cli_jar" "${JENKINS_URL}jnlpJars/jenkins-cli.jar" || die "cannot download the CLI from ${JENKINS_URL}jnlpJars/jenkins-cli.jar"
jcli() { java -jar "$cli_jar" -s "$JENKINS_URL" -http "$@"; }

# install_plugin: deploys the .hpi without a restart unless this version is already active.
install_plugin() {
  local hpi=${GULI_HPI:-$repo_root/plugin/target/guli-pipeline.hpi} want have
  [ -f "$hpi" ] || die "no $hpi: build it first (mvn -B package -DskipTests)"
  want=$(unzip -p "$hpi" META-INF/MANIFEST.MF | sed -n 's/^Plugin-Version: //p' | tr -d '\r')
  have=$(echo "println(jenkins.model.Jenkins.get().pluginManager.getPlugin('guli-pipeline')?.with { it.isActive() ? it.version : 'inactive' } ?: 'none')" | jcli groovy =)
  if [ "$have" = "$want" ]; then
    say "guli-pipeline $want is already active"
  elif [ "$have" = none ]; then
    jcli install-plugin = -deploy < "$hpi" && say "installed guli-pipeline $want (dynamic load, no restart)"
  else
    die "guli-pipeline $have is installed: replace it with $hpi and restart Jenkins, then run again"
  fi
}

# put_credentials ID USERNAME PASSWORD_FILE DESCRIPTION: create or update global username/password credentials.
# The password travels inside the XML on the CLI's stdin, never as an argument.
put_credentials() {
  local id=$1 user=$2 pwfile=$3 desc=$4 xml=$work/cred.xml
  {
    printf '<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n'
    printf '  <scope>GLOBAL</scope><id>%s</id><description>%s</description>\n' "$id" "$desc"
    printf '  <username>%s</username><password>' "$user"
    sed -e 's/&/\&amp;/g; s/</\&lt;/g' "$pwfile" | tr -d '\n'
    printf '</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n'
  } > "$xml"
  if jcli get-credentials-as-xml system::system::jenkins _ "$id" >/dev/null 2>&1; then
    jcli update-credentials-by-xml system::system::jenkins _ "$id" < "$xml"
  else
    jcli create-credentials-by-xml system::system::jenkins _ < "$xml"
  fi
  rm -f "$xml"
}

# put_job NAME SCRIPT_FILE [PARAM...]: a Pipeline job whose script is the file, with string parameters.
put_job() {
  local name=$1 script=$2 xml=$work/job.xml p; shift 2
  {
    printf "<?xml version='1.1' encoding='UTF-8'?>\n<flow-definition>\n  <properties>\n"
    printf '    <hudson.model.ParametersDefinitionProperty><parameterDefinitions>\n'
    for p in "$@"; do
      printf '      <hudson.model.StringParameterDefinition><name>%s</name><trim>true</trim></hudson.model.StringParameterDefinition>\n' "$p"
    done
    printf '    </parameterDefinitions></hudson.model.ParametersDefinitionProperty>\n  </properties>\n'
    printf '  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition"><script>'
    sed -e 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' "$script"
    printf '</script><sandbox>true</sandbox></definition>\n</flow-definition>\n'
  } > "$xml"
  if jcli get-job "$name" >/dev/null 2>&1; then jcli update-job "$name" < "$xml"; else jcli create-job "$name" < "$xml"; fi
}

# run_job NAME EXPECTED(SUCCESS|FAILURE) LOGFILE [-p K=V]...: runs it, keeps the console, checks the result.
run_job() {
  local name=$1 expected=$2 log=$3 rc=0; shift 3
  jcli build "$name" -s -v "$@" > "$log" 2>&1 || rc=$?
  local result; result=$(sed -n 's/^Finished: //p' "$log" | tail -1)
  [ "$result" = "$expected" ] || { cat "$log"; die "$name finished ${result:-without a result} (exit $rc), expected $expected"; }
}

# curl_jenkins ARGS...: curl against Jenkins; with JENKINS_USER_ID/JENKINS_API_TOKEN the credentials go through a
# config file (mode 600, in the scratch dir), never an argument.
curl_jenkins() {
  local auth=()
  if [ -n "${JENKINS_USER_ID:-}" ]; then
    [ -f "$work/curl-auth" ] || (umask 077 && printf 'user = "%s:%s"\n' "$JENKINS_USER_ID" "${JENKINS_API_TOKEN:?}" > "$work/curl-auth")
    auth=(-K "$work/curl-auth")
  fi
  curl -gfsS "${auth[@]}" "$@"
}

# post_jenkins PATH: a POST as the web UI makes it, with a crumb (CSRF protection) from the same session.
post_jenkins() {
  local crumb field
  crumb=$(curl_jenkins -c "$work/cookies" "${JENKINS_URL}crumbIssuer/api/json")
  field=$(sed -n 's/.*"crumbRequestField":"\([^"]*\)".*/\1/p' <<< "$crumb")
  crumb=$(sed -n 's/.*"crumb":"\([^"]*\)".*/\1/p' <<< "$crumb")
  curl_jenkins -b "$work/cookies" -H "$field: $crumb" -X POST -o /dev/null "${JENKINS_URL}$1"
}

# put_scm_job NAME GIT_URL CREDENTIALS_ID: a Pipeline job whose Jenkinsfile is read from the repository's master
# branch (Pipeline script from SCM), so `checkout scm` checks that repository out.
put_scm_job() {
  local name=$1 url=$2 cred=$3 xml=$work/job.xml
  cat > "$xml" <<XML
<?xml version='1.1' encoding='UTF-8'?>
<flow-definition>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition">
    <scm class="hudson.plugins.git.GitSCM">
      <configVersion>2</configVersion>
      <userRemoteConfigs><hudson.plugins.git.UserRemoteConfig>
        <url>$url</url><credentialsId>$cred</credentialsId>
      </hudson.plugins.git.UserRemoteConfig></userRemoteConfigs>
      <branches><hudson.plugins.git.BranchSpec><name>*/master</name></hudson.plugins.git.BranchSpec></branches>
    </scm>
    <scriptPath>Jenkinsfile</scriptPath>
    <lightweight>false</lightweight>
  </definition>
</flow-definition>
XML
  if jcli get-job "$name" >/dev/null 2>&1; then jcli update-job "$name" < "$xml"; else jcli create-job "$name" < "$xml"; fi
}

# start_build NAME [-p K=V]...: queues a build without waiting; prints its number.
start_build() {
  local name=$1 next; shift
  next=$(curl_jenkins "${JENKINS_URL}job/$name/api/json?tree=nextBuildNumber" | sed -n 's/.*"nextBuildNumber":\([0-9]*\).*/\1/p')
  jcli build "$name" "$@" >/dev/null
  echo "$next"
}

# wait_input NAME NUMBER INPUT_ID: waits (up to 5 minutes) until the build asks for that input.
wait_input() {
  local _
  for _ in $(seq 1 300); do
    curl_jenkins -o /dev/null "${JENKINS_URL}job/$1/$2/input/$3/" 2>/dev/null && return 0
    sleep 1
  done
  curl_jenkins "${JENKINS_URL}job/$1/$2/consoleText" || true
  die "build $1 #$2 did not ask for input $3"
}

# wait_build NAME NUMBER EXPECTED LOGFILE: waits for the end of the build, keeps its console, checks the result.
wait_build() {
  local _ result=""
  for _ in $(seq 1 600); do
    result=$(curl_jenkins "${JENKINS_URL}job/$1/$2/api/json?tree=building,result" 2>/dev/null \
      | sed -n 's/.*"building":false.*"result":"\([A-Z_]*\)".*/\1/p') || true
    [ -n "$result" ] && break
    sleep 1
  done
  for _ in $(seq 1 30); do # the console's last line may come a moment after the result
    curl_jenkins "${JENKINS_URL}job/$1/$2/consoleText" > "$4"
    grep -q '^Finished: ' "$4" && break
    sleep 1
  done
  [ "$result" = "$3" ] || { cat "$4"; die "$1 #$2 finished ${result:-without a result}, expected $3"; }
}

# put_xml_credentials ID XML_FILE: create or update global credentials from an XML file (then deleted).
put_xml_credentials() {
  local id=$1 xml=$2
  if jcli get-credentials-as-xml system::system::jenkins _ "$id" >/dev/null 2>&1; then
    jcli update-credentials-by-xml system::system::jenkins _ "$id" < "$xml"
  else
    jcli create-credentials-by-xml system::system::jenkins _ < "$xml"
  fi
  rm -f "$xml"
}

# put_secret_text ID SECRET_FILE DESCRIPTION: "Secret text" credentials (e.g. a SonarQube token), from a file, on stdin.
put_secret_text() {
  local xml=$work/cred.xml
  {
    printf '<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>\n'
    printf '  <scope>GLOBAL</scope><id>%s</id><description>%s</description><secret>' "$1" "$3"
    sed -e 's/&/\&amp;/g; s/</\&lt;/g' "$2" | tr -d '\n'
    printf '</secret>\n</org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>\n'
  } > "$xml"
  put_xml_credentials "$1" "$xml"
}

# put_secret_file ID FILE DESCRIPTION: "Secret file" credentials holding FILE (e.g. a Maven settings.xml).
put_secret_file() {
  local xml=$work/cred.xml
  {
    printf '<org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl>\n'
    printf '  <scope>GLOBAL</scope><id>%s</id><description>%s</description><fileName>%s</fileName>' "$1" "$3" "$(basename "$2")"
    printf '<secretBytes>%s</secretBytes>\n' "$(base64 -w0 < "$2")"
    printf '</org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl>\n'
  } > "$xml"
  put_xml_credentials "$1" "$xml"
}
