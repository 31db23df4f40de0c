package hudson.util;

import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public static final class Option {
        public String name;

        public String value;

        public boolean selected;

        public Option(String name, String value) {}

        public Option(String name) {}

        public Option(String name, String value, boolean selected) {}
    }

    public ListBoxModel() {}

    public void add(String displayName, String value) {
        throw new UnsupportedOperationException();
    }
}
