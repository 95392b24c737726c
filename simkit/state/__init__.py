"""The cluster as plain data: registries and images, projects, image streams, service accounts,
secrets, roles and bindings, nodes with their image stores, pods and workloads, and the constants
that name them (annotations, labels). Nothing here has a clock or imports a layer above it.
"""
