package io.github.guli.engine.approval;

import io.github.guli.engine.GuliException;
import java.util.Locale;

/** The notifiers there are, by the name an admin writes. */
public enum NotifierKind {
    DINGTALK("DingTalk"),
    WECOM("WeCom"),
    FEISHU("Feishu"),
    WEBHOOK("webhook");

    private final String label;

    NotifierKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static NotifierKind parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "dingtalk":
                return DINGTALK;
            case "wecom":
            case "wechatwork":
                return WECOM;
            case "feishu":
            case "lark":
                return FEISHU;
            case "webhook":
                return WEBHOOK;
            default:
                throw new GuliException(
                        "unknown notifier kind '" + name + "': use dingtalk, wecom, feishu (or lark)" + " or webhook");
        }
    }
}
