{{/*
Helpers of the microservice chart. Every object is named after the service; values.schema.json has
already checked the values, the `fail`s below cover what a JSON Schema cannot express.
*/}}

{{/* Object name: the service name (a DNS-1035 label, checked by the schema). */}}
{{- define "microservice.name" -}}
{{- required "service is required" .Values.service -}}
{{- end -}}

{{/* <service>-<environment>: the instance label; a label value is at most 63 characters. */}}
{{- define "microservice.instance" -}}
{{- $instance := printf "%s-%s" (include "microservice.name" .) (required "environment is required" .Values.environment) -}}
{{- if gt (len $instance) 63 -}}
{{- fail (printf "service and environment together are too long: the label app.kubernetes.io/instance %q has more than 63 characters" $instance) -}}
{{- end -}}
{{- $instance -}}
{{- end -}}

{{- define "microservice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: a stable subset, since a Deployment's selector cannot change after creation. */}}
{{- define "microservice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "microservice.name" . | quote }}
app.kubernetes.io/instance: {{ include "microservice.instance" . | quote }}
{{- end -}}

{{/* Labels of every object and of the pod template. */}}
{{- define "microservice.labels" -}}
{{ include "microservice.selectorLabels" . }}
app.kubernetes.io/part-of: {{ required "team is required" .Values.team | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ include "microservice.chart" . | quote }}
slipway.dev/team: {{ .Values.team | quote }}
slipway.dev/service: {{ include "microservice.name" . | quote }}
slipway.dev/environment: {{ .Values.environment | quote }}
{{- end -}}

{{/* Pod labels: the Entra workload identity webhook only injects its token into pods labelled so. */}}
{{- define "microservice.podLabels" -}}
{{ include "microservice.labels" . }}
{{- if .Values.workloadIdentity.clientId }}
azure.workload.identity/use: "true"
{{- end }}
{{- end -}}

{{/* repository@digest when pinned by digest, else repository:tag; never latest, never untagged. */}}
{{- define "microservice.image" -}}
{{- $image := .Values.image -}}
{{- $repository := required "image.repository is required" $image.repository -}}
{{- if eq (lower (toString $image.tag)) "latest" -}}
{{- fail "image.tag must not be \"latest\": set a version tag or image.digest" -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else if $image.tag -}}
{{- printf "%s:%s" $repository (toString $image.tag) -}}
{{- else -}}
{{- fail "image.tag or image.digest is required" -}}
{{- end -}}
{{- end -}}

{{/*
Whether an image is set. A new service has none until its first image is pushed: until then the
chart renders no workload (and no autoscaler or disruption budget for it), so that Argo CD shows the
application synced and healthy instead of failing, and the first image starts it.
*/}}
{{- define "microservice.hasImage" -}}
{{- if or .Values.image.digest .Values.image.tag }}true{{ end -}}
{{- end -}}

{{- define "microservice.isDeployment" -}}
{{- if eq .Values.workload "deployment" }}true{{ end -}}
{{- end -}}

{{/* A Service (and so an Ingress) exists only for a deployment that serves HTTP. */}}
{{- define "microservice.hasService" -}}
{{- if and (include "microservice.isDeployment" .) (gt (int .Values.port) 0) }}true{{ end -}}
{{- end -}}

{{/* Name of the container port the probes use: "health" when healthPort is a port of its own. */}}
{{- define "microservice.probePort" -}}
{{- $port := int .Values.port -}}
{{- $healthPort := int .Values.healthPort -}}
{{- if and (gt $healthPort 0) (ne $healthPort $port) -}}
health
{{- else if gt $port 0 -}}
http
{{- else -}}
{{- fail "a deployment needs port or healthPort for its readiness and liveness probes" -}}
{{- end -}}
{{- end -}}

{{/* The fewest pods the Deployment runs: the HPA's minimum when autoscaling, else replicas. */}}
{{- define "microservice.minReplicas" -}}
{{- if .Values.autoscaling.enabled -}}
{{- int .Values.autoscaling.minReplicas -}}
{{- else -}}
{{- int .Values.replicas -}}
{{- end -}}
{{- end -}}

{{/* Pod template shared by the Deployment and the CronJob's Job. */}}
{{- define "microservice.podTemplate" -}}
{{- $deployment := include "microservice.isDeployment" . -}}
metadata:
  labels:
    {{- include "microservice.podLabels" . | nindent 4 }}
spec:
  serviceAccountName: {{ include "microservice.name" . }}
  # The app never calls the Kubernetes API; the workload identity webhook projects its own token.
  automountServiceAccountToken: false
  {{- if not $deployment }}
  restartPolicy: Never
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: {{ int64 .Values.securityContext.runAsUser }}
    seccompProfile:
      type: RuntimeDefault
  {{- if $deployment }}
  # Spread over zones and nodes, but still schedule on a single-zone cluster.
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "microservice.selectorLabels" . | nindent 10 }}
      matchLabelKeys:
        - pod-template-hash
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "microservice.selectorLabels" . | nindent 10 }}
      matchLabelKeys:
        - pod-template-hash
  {{- end }}
  containers:
    - name: {{ include "microservice.name" . }}
      image: {{ include "microservice.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- if $deployment }}
      {{- $port := int .Values.port }}
      {{- $healthPort := int .Values.healthPort }}
      {{- if or (gt $port 0) (gt $healthPort 0) }}
      ports:
        {{- if gt $port 0 }}
        - name: http
          containerPort: {{ $port }}
          protocol: TCP
        {{- end }}
        {{- if and (gt $healthPort 0) (ne $healthPort $port) }}
        - name: health
          containerPort: {{ $healthPort }}
          protocol: TCP
        {{- end }}
      {{- end }}
      {{- end }}
      {{- with .Values.env }}
      env:
        {{- /* quote, never tpl: a value is data, whatever quotes, newlines or braces it holds. */}}
        {{- range $name, $value := . }}
        - name: {{ $name | quote }}
          value: {{ $value | toString | quote }}
        {{- end }}
      {{- end }}
      {{- if $deployment }}
      {{- $probePort := include "microservice.probePort" . }}
      {{- with .Values.probes.readiness }}
      readinessProbe:
        httpGet:
          path: {{ .path | quote }}
          port: {{ $probePort }}
        initialDelaySeconds: {{ int .initialDelaySeconds }}
        periodSeconds: {{ int .periodSeconds }}
        failureThreshold: {{ int .failureThreshold }}
      {{- end }}
      {{- with .Values.probes.liveness }}
      livenessProbe:
        httpGet:
          path: {{ .path | quote }}
          port: {{ $probePort }}
        initialDelaySeconds: {{ int .initialDelaySeconds }}
        periodSeconds: {{ int .periodSeconds }}
        failureThreshold: {{ int .failureThreshold }}
      {{- end }}
      {{- end }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ int64 .Values.securityContext.runAsUser }}
        allowPrivilegeEscalation: false
        privileged: false
        readOnlyRootFilesystem: {{ .Values.securityContext.readOnlyRootFilesystem }}
        capabilities:
          drop:
            - ALL
        seccompProfile:
          type: RuntimeDefault
      volumeMounts:
        # Writable scratch space, so that a read-only root filesystem is workable.
        - name: tmp
          mountPath: /tmp
        {{- if .Values.keyVault.enabled }}
        - name: secrets-store
          mountPath: /mnt/secrets
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- if .Values.keyVault.enabled }}
    - name: secrets-store
      csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: {{ include "microservice.name" . }}
    {{- end }}
{{- end -}}
