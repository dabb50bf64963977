package dev.etcdagent.agent.registration;

/** The agent's version, from its jar's manifest. */
final class AgentVersion {

    private AgentVersion() {
    }

    static String get() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
