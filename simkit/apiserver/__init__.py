"""REST storage as openshift-apiserver has it: validation and strategy per resource (image streams,
image stream tags, image stream imports), discovery and the API server's error shapes.
"""
