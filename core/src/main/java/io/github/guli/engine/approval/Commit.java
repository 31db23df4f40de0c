package io.github.guli.engine.approval;

/** A commit a deploy brings: text of the branch, so every card escapes it. */
public record Commit(String subject, String author) implements java.io.Serializable {
    public Commit {
        subject = subject == null ? "" : subject;
        author = author == null ? "" : author;
    }
}
