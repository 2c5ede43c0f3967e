"""Horizon plugin for Open DC/OS and Mesos bays on OpenStack Magnum."""
