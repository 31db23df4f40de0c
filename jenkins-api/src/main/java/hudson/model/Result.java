package hudson.model;

import java.io.Serializable;
import org.kohsuke.stapler.export.CustomExportedBean;

public final class Result implements Serializable, CustomExportedBean {
    public static final Result ABORTED = new Result();

    private Result() {}

    @Override
    public String toExportedObject() {
        throw new UnsupportedOperationException();
    }
}
