/**
 * Web messaging: the Messenger configuration guests see, and the deployment that ties a configuration to an
 * inbound message flow and to the domains allowed to embed it.
 */
import { Construct } from "constructs";
import { WebdeploymentsConfiguration } from "../.gen/providers/genesyscloud/webdeployments-configuration";
import { WebdeploymentsDeployment } from "../.gen/providers/genesyscloud/webdeployments-deployment";
import {
  MESSENGER_CONFIGURATION_NAME_MAX_LENGTH,
  MESSENGER_FILE_TYPES,
  MESSENGER_LANGUAGE,
  MESSENGER_MAX_FILE_SIZE_KB,
  type MessengerFileType,
} from "../genesys";
import type { InboundMessageFlow } from "./inbound-message-flow";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** Languages of a configuration when none are given. */
export const DEFAULT_MESSENGER_LANGUAGES: readonly string[] = ["en-us"];

/** Largest attachment when none is given, in kilobytes: the most Messenger accepts, 10 MB (also its own default). */
export const DEFAULT_MAX_FILE_SIZE_KB = MESSENGER_MAX_FILE_SIZE_KB.max;

/** What guests may attach. */
export interface MessengerFileUpload {
  /**
   * File types guests may attach (at least one).
   */
  readonly fileTypes: readonly MessengerFileType[];
  /**
   * Largest attachment in kilobytes, 0–10240.
   * @default DEFAULT_MAX_FILE_SIZE_KB (10240, 10 MB)
   */
  readonly maxFileSizeKb?: number;
}

/** What a Messenger configuration offers guests, apart from its name. */
export interface MessengerSettings {
  /**
   * Description shown in the admin UI.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Languages Messenger offers.
   * @default DEFAULT_MESSENGER_LANGUAGES (["en-us"])
   */
  readonly languages?: readonly string[];
  /**
   * Language Messenger starts in; one of `languages`.
   * @default - the first of `languages`
   */
  readonly defaultLanguage?: string;
  /**
   * How long a guest session lasts without activity, in seconds.
   * @default - Genesys's default guest session duration (3 days, per its announcement)
   */
  readonly sessionDurationSeconds?: number;
  /**
   * Attachments guests may send.
   * @default - attachments are off
   */
  readonly fileUpload?: MessengerFileUpload;
}

/** Props of {@link MessengerConfiguration}. */
export interface MessengerConfigurationProps extends MessengerSettings, DestroyProtectionProps {
  /**
   * Configuration name, 1–100 characters.
   */
  readonly name: string;
}

/**
 * A Messenger configuration (`genesyscloud_webdeployments_configuration`) with Messenger and its conversations app
 * enabled. Every change publishes a new version, which the deployments using it follow.
 *
 * One configuration can serve many deployments: the connection ceiling that sharding works around is per
 * deployment, not per configuration, and each configuration costs about 5 Platform API requests to create. Create
 * one and pass it to every {@link MessagingDeployment} as `configuration`.
 */
export class MessengerConfiguration extends Construct {
  /** Id of the configuration. */
  public readonly configurationId: string;
  /** The configuration's published version, which deployments name. */
  public readonly configurationVersion: string;
  /** The generated configuration resource (also `node.defaultChild`). */
  public readonly resource: WebdeploymentsConfiguration;

  constructor(scope: Construct, id: string, props: MessengerConfigurationProps) {
    super(scope, id);
    validateProps(this, props, checkMessengerConfigurationProps);

    const languages = [...(props.languages ?? DEFAULT_MESSENGER_LANGUAGES)];
    const upload = props.fileUpload;
    this.resource = new WebdeploymentsConfiguration(this, "Resource", {
      name: props.name,
      description: props.description,
      languages,
      defaultLanguage: props.defaultLanguage ?? languages[0],
      messenger: {
        enabled: true,
        apps: {
          conversations: { enabled: true, sessionDurationSeconds: props.sessionDurationSeconds },
        },
        fileUpload: upload
          ? {
              enableAttachments: true,
              mode: [
                {
                  fileTypes: [...upload.fileTypes],
                  maxFileSizeKb: upload.maxFileSizeKb ?? DEFAULT_MAX_FILE_SIZE_KB,
                },
              ],
            }
          : { enableAttachments: false },
      },
      lifecycle: destroyLifecycle(props),
    });
    this.configurationId = this.resource.id;
    this.configurationVersion = this.resource.version;
  }
}

/** Props of {@link MessagingDeployment}; `protectFromDestroy` covers its own configuration too, not a shared one. */
export interface MessagingDeploymentProps extends DestroyProtectionProps {
  /**
   * Deployment name.
   */
  readonly name: string;
  /**
   * Description shown in the admin UI.
   * @default - no description
   */
  readonly description?: string;
  /**
   * The inbound message flow that receives every conversation started through this deployment.
   */
  readonly flow: InboundMessageFlow;
  /**
   * A configuration shared with other deployments; leave out `messenger` when given.
   * @default - the deployment creates its own configuration (id `Configuration`) from `messenger`
   */
  readonly configuration?: MessengerConfiguration;
  /**
   * Settings of the deployment's own configuration, which is named after the deployment.
   * @default - the {@link MessengerSettings} defaults: English, no attachments, Genesys's session duration
   */
  readonly messenger?: MessengerSettings;
  /**
   * Domains allowed to embed Messenger, e.g. `["www.example.com"]`; required unless `allowAllDomains` is true.
   * @default - none: then `allowAllDomains` must be true
   */
  readonly allowedDomains?: readonly string[];
  /**
   * Lets any web site embed Messenger; an explicit opt-in that excludes `allowedDomains`.
   * @default false - only `allowedDomains` may embed it
   */
  readonly allowAllDomains?: boolean;
}

/**
 * A Messenger deployment (`genesyscloud_webdeployments_deployment`) that sends conversations to an
 * {@link InboundMessageFlow}, using a shared {@link MessengerConfiguration} or one of its own, and following the
 * configuration's newest published version. The provider waits about 10 s after creating each deployment.
 */
export class MessagingDeployment extends Construct {
  /** Id of the deployment (what the Messenger snippet loads). */
  public readonly deploymentId: string;
  /** Id of the configuration the deployment uses. */
  public readonly configurationId: string;
  /** The configuration the deployment uses (shared or its own). */
  public readonly configuration: MessengerConfiguration;
  /** The generated deployment resource (also `node.defaultChild`). */
  public readonly resource: WebdeploymentsDeployment;

  constructor(scope: Construct, id: string, props: MessagingDeploymentProps) {
    super(scope, id);
    validateProps(this, props, checkMessagingDeploymentProps);

    this.configuration =
      props.configuration ??
      new MessengerConfiguration(this, "Configuration", {
        ...props.messenger,
        name: props.name,
        protectFromDestroy: props.protectFromDestroy,
      });
    this.resource = new WebdeploymentsDeployment(this, "Resource", {
      name: props.name,
      description: props.description,
      flowId: props.flow.flowId,
      configuration: {
        id: this.configuration.configurationId,
        version: this.configuration.configurationVersion,
      },
      allowAllDomains: props.allowAllDomains === true ? true : undefined,
      allowedDomains: props.allowAllDomains === true ? undefined : [...(props.allowedDomains ?? [])],
      lifecycle: destroyLifecycle(props),
    });
    this.deploymentId = this.resource.id;
    this.configurationId = this.configuration.configurationId;
  }
}

/** Records every problem with a configuration's props. */
function checkMessengerConfigurationProps(check: PropsChecker, props: MessengerConfigurationProps): void {
  check.text("name", props.name, MESSENGER_CONFIGURATION_NAME_MAX_LENGTH, true);
  checkMessengerSettings(check, "", props);
}

/** Records every problem with a deployment's props, its own configuration's settings included. */
function checkMessagingDeploymentProps(check: PropsChecker, props: MessagingDeploymentProps): void {
  if (props.configuration) {
    if (!isUnresolved(props.name) && (props.name ?? "").trim() === "") {
      check.problem("name", props.name, "a non-empty deployment name");
    }
  } else {
    // The deployment's own configuration is named after it.
    check.text("name", props.name, MESSENGER_CONFIGURATION_NAME_MAX_LENGTH, true);
  }
  if (props.configuration && props.messenger) {
    check.note(
      "messenger must be left out when configuration is given: a shared configuration carries its own settings",
    );
  } else if (!props.configuration) {
    checkMessengerSettings(check, "messenger.", props.messenger ?? {});
  }

  const domains = props.allowedDomains;
  if (props.allowAllDomains === true && domains !== undefined) {
    check.problem(
      "allowedDomains",
      domains,
      "left out when allowAllDomains is true",
      "choose one of the two",
    );
  } else if (props.allowAllDomains !== true && (domains === undefined || domains.length === 0)) {
    check.problem(
      "allowedDomains",
      domains,
      "at least one domain",
      "or set allowAllDomains: true to let any web site embed Messenger",
    );
  }
  if (domains && !isUnresolved(domains)) {
    domains.forEach((domain, index) => {
      if (isUnresolved(domain)) return;
      if (domain.trim() === "" || /\s/.test(domain) || domain === "*") {
        check.problem(
          `allowedDomains[${index}]`,
          domain,
          "a domain name such as www.example.com",
          "use allowAllDomains for any domain",
        );
      } else if (domains.indexOf(domain) !== index) {
        check.problem(`allowedDomains[${index}]`, domain, "listed once");
      }
    });
  }
}

/** Problems with a configuration's settings, each prop prefixed (e.g. `messenger.`). */
function checkMessengerSettings(check: PropsChecker, prefix: string, props: MessengerSettings): void {
  const duration = props.sessionDurationSeconds;
  if (duration !== undefined && !isUnresolved(duration) && !(Number.isInteger(duration) && duration > 0)) {
    check.problem(`${prefix}sessionDurationSeconds`, duration, "a whole number of seconds > 0");
  }

  const languages = props.languages ?? DEFAULT_MESSENGER_LANGUAGES;
  if (!isUnresolved(languages)) {
    if (languages.length === 0) check.problem(`${prefix}languages`, languages, "at least one language");
    languages.forEach((language, index) => {
      if (!isUnresolved(language) && !MESSENGER_LANGUAGE.test(language)) {
        check.problem(`${prefix}languages[${index}]`, language, "a language code such as en-us or fr");
      }
    });
    const defaultLanguage = props.defaultLanguage;
    if (
      defaultLanguage !== undefined &&
      !isUnresolved(defaultLanguage) &&
      !languages.includes(defaultLanguage)
    ) {
      check.problem(
        `${prefix}defaultLanguage`,
        defaultLanguage,
        `one of languages (${languages.join(", ")})`,
      );
    }
  }

  const upload = props.fileUpload;
  if (upload) {
    if (upload.fileTypes.length === 0) {
      check.problem(
        `${prefix}fileUpload.fileTypes`,
        upload.fileTypes,
        "at least one file type",
        "or leave out fileUpload to turn attachments off",
      );
    }
    upload.fileTypes.forEach((type, index) =>
      check.oneOf(`${prefix}fileUpload.fileTypes[${index}]`, type, MESSENGER_FILE_TYPES),
    );
    check.within(`${prefix}fileUpload.maxFileSizeKb`, upload.maxFileSizeKb, MESSENGER_MAX_FILE_SIZE_KB);
  }
}
