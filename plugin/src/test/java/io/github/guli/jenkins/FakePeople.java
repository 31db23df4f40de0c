package io.github.guli.jenkins;

import hudson.model.Run;
import java.util.Map;
import java.util.Set;

/** Jenkins' users as a test sets them: who started the build, who is an administrator, each user's groups. */
final class FakePeople implements People {
    String starter;
    Set<String> administrators = Set.of();
    Map<String, Set<String>> users = Map.of();

    FakePeople(String starter, Map<String, Set<String>> users) {
        this.starter = starter;
        this.users = users;
    }

    @Override
    public String starter(Run<?, ?> run) {
        return starter;
    }

    @Override
    public boolean isAdministrator(String user) {
        return administrators.contains(user);
    }

    @Override
    public boolean isUser(String name) {
        return users.containsKey(name);
    }

    @Override
    public Set<String> groups(String user) {
        return users.getOrDefault(user, Set.of());
    }
}
