// guliFrontendPipeline(service: 'gulimall-admin-vue'): guliPipeline for a front end (the course's Vue admin, an
// nginx image): `npm ci && npm run build`, then guliImage with the repository's own Dockerfile; no quality gate by
// default. The same stages, configuration and approvals as guliPipeline. Help: guliFrontendPipeline.txt.

def call(Map config = [:]) {
    guliPipeline.flow(config, 'frontend')
}
