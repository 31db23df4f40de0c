package io.github.guli.engine.deploy;

import java.util.Map;

/**
 * API versions that the fabric8 model still carries but Kubernetes has stopped serving (from the Kubernetes
 * "Deprecated API Migration Guide"): a manifest using one would be refused by any current cluster. The model classes
 * cannot tell, so this is the one hand-kept table of the validation.
 */
final class RemovedApis {
    private static final Map<String, String> REMOVED_IN = Map.ofEntries(
            Map.entry("extensions/v1beta1 Deployment", "1.16"),
            Map.entry("extensions/v1beta1 DaemonSet", "1.16"),
            Map.entry("extensions/v1beta1 ReplicaSet", "1.16"),
            Map.entry("extensions/v1beta1 NetworkPolicy", "1.16"),
            Map.entry("extensions/v1beta1 PodSecurityPolicy", "1.16"),
            Map.entry("extensions/v1beta1 Ingress", "1.22"),
            Map.entry("networking.k8s.io/v1beta1 Ingress", "1.22"),
            Map.entry("networking.k8s.io/v1beta1 IngressClass", "1.22"),
            Map.entry("apiextensions.k8s.io/v1beta1 CustomResourceDefinition", "1.22"),
            Map.entry("admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration", "1.22"),
            Map.entry("admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration", "1.22"),
            Map.entry("certificates.k8s.io/v1beta1 CertificateSigningRequest", "1.22"),
            Map.entry("scheduling.k8s.io/v1beta1 PriorityClass", "1.22"),
            Map.entry("storage.k8s.io/v1beta1 CSIDriver", "1.22"),
            Map.entry("storage.k8s.io/v1beta1 CSINode", "1.22"),
            Map.entry("storage.k8s.io/v1beta1 StorageClass", "1.22"),
            Map.entry("storage.k8s.io/v1beta1 VolumeAttachment", "1.22"),
            Map.entry("batch/v1beta1 CronJob", "1.25"),
            Map.entry("discovery.k8s.io/v1beta1 EndpointSlice", "1.25"),
            Map.entry("events.k8s.io/v1beta1 Event", "1.25"),
            Map.entry("autoscaling/v2beta1 HorizontalPodAutoscaler", "1.25"),
            Map.entry("policy/v1beta1 PodDisruptionBudget", "1.25"),
            Map.entry("policy/v1beta1 PodSecurityPolicy", "1.25"),
            Map.entry("node.k8s.io/v1beta1 RuntimeClass", "1.25"),
            Map.entry("autoscaling/v2beta2 HorizontalPodAutoscaler", "1.26"),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema", "1.26"),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration", "1.26"),
            Map.entry("storage.k8s.io/v1beta1 CSIStorageCapacity", "1.27"),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema", "1.29"),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration", "1.29"),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema", "1.32"),
            Map.entry("flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration", "1.32"));

    private RemovedApis() {}

    /** The Kubernetes version that stopped serving this kind at this apiVersion, or null. */
    static String removedIn(String apiVersion, String kind) {
        return REMOVED_IN.get(apiVersion + " " + kind);
    }
}
