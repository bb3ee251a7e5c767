// Entry point of the policy pack: starts the policy server (only the Pulumi CLI should load this).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("echo-exposure", { policies });
