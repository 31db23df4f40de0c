package io.github.guli.engine.image;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.registry.ImageRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The tags an image gets: the course's {@code SNAPSHOT-<branch>-<build>} and {@code latest}, plus any given. */
public final class ImageTags {
    private ImageTags() {}

    /**
     * @param branch the branch built (a remote-tracking name such as origin/master counts as master); null: no
     *     snapshot tag
     * @param buildNumber the build number; null: no snapshot tag
     */
    public static List<String> of(String branch, String buildNumber, boolean latest, List<String> extra) {
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        if (!Blank.isBlank(branch) && !Blank.isBlank(buildNumber)) {
            tags.add(ImageRef.snapshotTag(branch.trim().replaceFirst("^origin/", ""), buildNumber.trim()));
        }
        if (latest) {
            tags.add("latest");
        }
        for (String t : extra == null ? List.<String>of() : extra) {
            if (!Blank.isBlank(t)) {
                ImageRef.checkTag(t.trim());
                tags.add(t.trim());
            }
        }
        if (tags.isEmpty()) {
            throw new GuliException(
                    "no tag to give the image: the branch or build number is unknown (BRANCH_NAME is set "
                            + "by multibranch jobs, GIT_BRANCH by checkout scm) and latest is off; give tags, e.g. ['v1.2.0']");
        }
        return new ArrayList<>(tags);
    }

    /** Tags from a comma- or space-separated text, as forms and the command line give them. */
    public static List<String> split(String text) {
        if (Blank.isBlank(text)) {
            return List.of();
        }
        return List.of(text.trim().split("[,\\s]+"));
    }
}
