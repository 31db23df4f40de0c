package io.github.guli.engine.approval;

import java.util.List;

/** The approval the tests and the documented samples send. */
final class Samples {
    static final String HOSTILE = "[x](http://evil) @all <at user_id=\"all\">所有人</at> \"quoted\" \\ `code`\n"
            + "# Heading\n> quote ![img](https://evil/i.png) <font color=\"warning\">red</font> www.evil.com";

    private Samples() {}

    static ApprovalNotice notice() {
        return new ApprovalNotice(
                "gulimall-order",
                "v1.4.0",
                "sha256:3f1c9b6e0d2a4c5b8e7f6a1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3",
                "prod",
                List.of(
                        new Commit("order: pay timeout 30 min", "Li Lei"),
                        new Commit("fix: stock lock released on cancel", "Han Meimei")),
                "- spring.redis.timeout: 3s\n+ spring.redis.timeout: 5s\n  spring.datasource.password: ****",
                List.of("users alice, bob", "groups ops"),
                "https://jenkins.example.com/job/gulimall/42/input/");
    }

    static ApprovalNotice hostile() {
        ApprovalNotice n = notice();
        return new ApprovalNotice(
                n.service(),
                n.version(),
                n.digest(),
                n.environment(),
                List.of(new Commit(HOSTILE, "@all <at user_id=\"all\"></at> [me](http://evil)")),
                HOSTILE + "\nheading?\n===\n  ---\n+ added",
                n.approvers(),
                n.inputUrl());
    }
}
