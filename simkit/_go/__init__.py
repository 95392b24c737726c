"""Go behaviour that simkit reproduces, each Go package ported once.

The kubelet, oc and openshift-apiserver are Go programs; where their observable
behaviour depends on how Go's standard library treats a string, simkit uses these
ports, each tested on Go's own test tables (tests/test_go_*.py):

* :mod:`simkit._go.url` - ``net/url.Parse`` (host and path) and ``net.SplitHostPort``
* :mod:`simkit._go.path` - ``path.Match`` and ``filepath.Match``
* :mod:`simkit._go.json` - ``encoding/json`` reading and ``Marshal`` (HTML escaping)
* :mod:`simkit._go.base64` - ``encoding/base64`` ``StdEncoding``/``RawStdEncoding`` decoding
* :mod:`simkit._go.strconv` - ``strconv.Quote`` (``%q``)
* :mod:`simkit._go.strings` - Go string bytes, ``len``, ``ToLower``, ``unicode.IsSpace``
* :mod:`simkit._go.tabwriter` - ``text/tabwriter`` column alignment
* :mod:`simkit._go.durations` - ``time.Duration.String`` and ``time.ParseDuration``

This package is the bottom layer: it imports nothing from the rest of simkit.
"""
