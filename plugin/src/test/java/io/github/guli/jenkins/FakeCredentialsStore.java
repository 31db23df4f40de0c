package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A credentials store of the test's own: what each lookup asked for, and what was tracked on the run. */
final class FakeCredentialsStore implements CredentialsLookup.Store {
    final Map<String, IdCredentials> byId;
    /** Each lookup as "ID as Type for RunClass". */
    final List<String> lookups = new ArrayList<>();

    final List<Credentials> tracked = new ArrayList<>();

    FakeCredentialsStore(Map<String, IdCredentials> byId) {
        this.byId = byId;
    }

    @Override
    public <C extends IdCredentials> C find(String id, Class<C> type, Run<?, ?> run) {
        lookups.add(id + " as " + type.getSimpleName() + " for "
                + (run == null ? "no run" : run.getClass().getSimpleName()));
        IdCredentials c = byId.get(id);
        return type.isInstance(c) ? type.cast(c) : null;
    }

    @Override
    public void track(Run<?, ?> run, Credentials credentials) {
        tracked.add(credentials);
    }
}
