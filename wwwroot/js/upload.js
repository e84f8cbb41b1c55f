// Sends the file chosen in an <input type=file> straight to the portal's HTTP API with XMLHttpRequest: the browser
// streams it (a SignalR message could not carry gigabytes) and reports upload progress back to the Blazor component.
export function upload(input, url, dotNetRef) {
    return new Promise(resolve => {
        const file = input && input.files && input.files[0];
        if (!file) {
            resolve({ status: 0, body: JSON.stringify({ problems: ['Choose an archive first.'] }) });
            return;
        }
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.setRequestHeader('X-MedSeg-Request', '1'); // the portal's CSRF guard: cross-site forms cannot send it
        let last = 0;
        xhr.upload.onprogress = e => {
            const now = performance.now();
            if (e.lengthComputable && (now - last > 150 || e.loaded === e.total)) { // at most ~7 calls/s over the circuit
                last = now;
                dotNetRef.invokeMethodAsync('OnUploadProgress', e.loaded, e.total);
            }
        };
        xhr.upload.onload = () => dotNetRef.invokeMethodAsync('OnUploadSent');
        xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
        xhr.onerror = () => resolve({ status: 0, body: JSON.stringify({ problems: ['The upload failed: the connection to the portal was lost.'] }) });
        xhr.send(file);
    });
}
