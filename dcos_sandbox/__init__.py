"""The embedded cloud: real Keystone plus stand-ins for what cannot run here.

Stands for the outside world, so it imports nothing of ``dcos_dashboard``.

What lives where: ``server`` starts every stand-in (``python -m
dcos_sandbox.server``; ``__main__`` is the command line: serve, bays, knob);
``keystone`` runs the real Keystone; ``auth`` checks tokens; ``wsgi`` is the
small app base, router and server they share; ``magnum/`` the Magnum
stand-in; ``openstack/`` Glance, Nova and Neutron; ``clusters/`` the
simulated DC/OS and Mesos clusters; ``config`` ports and folders.
"""
