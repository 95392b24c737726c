"""Behaviour over time, one upstream controller a module: the image stream controller and scheduled
imports, triggers, service-account pull secrets, the global pull-secret rollout, the kubelet, pods,
workloads, rate limits and the image pruner.
"""
