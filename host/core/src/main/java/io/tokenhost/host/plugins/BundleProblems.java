package io.tokenhost.host.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Explains why an installed bundle does not serve: requirements no installed bundle can satisfy
 * (found without trying to start it), or Declarative Services components that failed to activate
 * or wait for something.
 */
final class BundleProblems {

    private final BundleContext context;

    BundleProblems(BundleContext context) {
        this.context = context;
    }

    /**
     * Requirements of an unresolved bundle that nothing installed provides; missing packages are
     * grouped by prefix ({@code osgi.wiring.package kotlin.* (18)}).
     */
    List<String> missingRequirements(Bundle bundle) {
        List<String> missing = new ArrayList<>();
        List<String> missingPackages = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (Requirement requirement : revision.getRequirements(null)) {
            if (isOptional(requirement) || !isResolveTime(requirement)) {
                continue;
            }
            String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (anyBundleProvides(requirement.getNamespace(), filter)) {
                continue;
            }
            if (PackageNamespace.PACKAGE_NAMESPACE.equals(requirement.getNamespace()) && filter != null) {
                missingPackages.add(filter);
            } else {
                missing.add(requirement.getNamespace() + " " + (filter == null ? "" : filter));
            }
        }
        List<String> all = new ArrayList<>();
        MissingPackages.group(missingPackages).forEach(p -> all.add(PackageNamespace.PACKAGE_NAMESPACE + " " + p));
        all.addAll(missing);
        return all;
    }

    /** Problems of the bundle's DS components, if SCR is there to ask. */
    List<String> componentProblems(Bundle bundle, Optional<ServiceComponentRuntime> scr) {
        List<String> problems = new ArrayList<>();
        if (scr.isEmpty()) {
            return problems;
        }
        for (ComponentDescriptionDTO description : scr.get().getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : scr.get().getComponentConfigurationDTOs(description)) {
                describe(description, configuration).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static Optional<String> describe(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        String name = "component " + description.name;
        return switch (configuration.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> Optional.of(name + " failed to activate: "
                    + ActivationFailure.describe(configuration.failure));
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> Optional.of(name + " waits for "
                    + unsatisfied(configuration.unsatisfiedReferences));
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> Optional.of(name
                    + " waits for its configuration " + String.join(", ", description.configurationPid));
            default -> Optional.empty();
        };
    }

    private static String unsatisfied(UnsatisfiedReferenceDTO[] references) {
        List<String> names = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : references) {
            names.add(reference.name + (reference.target == null ? "" : " " + reference.target));
        }
        return "service(s) " + String.join(", ", names);
    }

    private boolean anyBundleProvides(String namespace, String filterText) {
        Filter filter;
        try {
            filter = filterText == null ? null : FrameworkUtil.createFilter(filterText);
        } catch (InvalidSyntaxException e) {
            return false;
        }
        for (Bundle candidate : context.getBundles()) {
            BundleRevision revision = candidate.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (Capability capability : revision.getCapabilities(namespace)) {
                if (filter == null || filter.matches(capability.getAttributes())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isOptional(Requirement requirement) {
        return Namespace.RESOLUTION_OPTIONAL.equals(
                requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
    }

    private static boolean isResolveTime(Requirement requirement) {
        String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
        return effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective)
                || HostNamespace.HOST_NAMESPACE.equals(requirement.getNamespace());
    }
}
