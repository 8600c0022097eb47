{{- define "incident-bot.fullname" -}}
{{- printf "%s" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "incident-bot.labels" -}}
app.kubernetes.io/name: incident-bot
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "incident-bot.selectorLabels" -}}
app.kubernetes.io/name: incident-bot
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
